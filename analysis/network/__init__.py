"""The cooperation network (issue 10): institutions as nodes, agreement pairs as weighted edges."""
