{runbooks: [.entries[] | {topic: .category, title: .heading, url: .location.wiki, lastReviewed: .reviewed.date}],
  # Where each value came from in the export (assay strips this key).
  "$sources": ([{key: "/runbooks", value: ["entries"]}]
    + [range(0; .entries | length) as $i | (
        {key: "/runbooks/\($i)", value: ["entries", $i]},
        {key: "/runbooks/\($i)/url", value: ["entries", $i, "location", "wiki"]},
        {key: "/runbooks/\($i)/lastReviewed", value: ["entries", $i, "reviewed", "date"]})]
    | from_entries)}
