"""The reporting cycle: periods and deadlines, reports with sex-disaggregated values, review and approval."""
