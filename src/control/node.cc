// Filled in with issue 5.
