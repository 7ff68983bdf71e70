# Namespace, buckets, sample data, table definition, IRSA roles and the Helm release.
module "sneller" {
  source = "../modules/sneller"

  prefix            = local.prefix
  region            = local.region
  oidc_provider_arn = local.provider_arn
  namespace         = var.namespace
  database          = var.database
  table             = var.table
  snellerd_image    = var.snellerd_image
  sdb_image         = var.sdb_image
}
