# A random 4-letter prefix, created once and kept in the state, so that every name stays the
# same across runs when no prefix is given.
resource "random_string" "prefix" {
  length  = 4
  special = false
  numeric = false
  upper   = false
}

locals {
  # The prefix always ends with a dash: "<prefix>-sneller", "<prefix>-sneller-source", ...
  prefix = var.prefix != "" ? "${var.prefix}-" : "${random_string.prefix.result}-"
}
