{runbooks: [.entries[] | {topic: .category, title: .heading, url: .location.wiki, lastReviewed: .reviewed.date}]}
