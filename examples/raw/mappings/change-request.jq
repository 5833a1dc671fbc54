.result | {
  id: .number,
  ticket: ("https://jira.example/browse/" + .correlation_id),
  summary: .short_description,
  deployer: .u_deployer,
  requestedBy: .requested_by.display_value,
  approvers: [.approvals[] | {name: .approver.display_value, role: .u_role}
    + (if .state == "approved" then {approvedAt: (.sys_updated_on | sub(" "; "T") + "Z")} else {} end)],
  peerReviewed: (.u_peer_reviewed == "true"),
  testsPassed: (.u_tests_passed == "true"),
  # Where each value came from in the export (assay strips this key).
  "$sources": ({"/id": ["result", "number"], "/deployer": ["result", "u_deployer"],
      "/requestedBy": ["result", "requested_by"], "/approvers": ["result", "approvals"],
      "/peerReviewed": ["result", "u_peer_reviewed"], "/testsPassed": ["result", "u_tests_passed"]}
    + ([range(0; .approvals | length) as $i | {key: "/approvers/\($i)", value: ["result", "approvals", $i]}]
      | from_entries))
}
