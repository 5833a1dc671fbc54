.result | {
  id: .number,
  ticket: ("https://jira.example/browse/" + .correlation_id),
  summary: .short_description,
  deployer: .u_deployer,
  requestedBy: .requested_by.display_value,
  approvers: [.approvals[] | {name: .approver.display_value, role: .u_role}
    + (if .state == "approved" then {approvedAt: (.sys_updated_on | sub(" "; "T") + "Z")} else {} end)],
  peerReviewed: (.u_peer_reviewed == "true"),
  testsPassed: (.u_tests_passed == "true")
}
