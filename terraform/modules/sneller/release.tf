# The bearer token and the 256-bit index key are created here and passed to the chart, so
# that they never change across applies (the chart would otherwise keep them through lookup).
resource "random_password" "token" {
  length  = 32
  special = false
}

resource "random_id" "index_key" {
  byte_length = 32
}

locals {
  chart_dir = "${path.module}/../../../charts/sneller"

  images = concat(
    var.snellerd_image != "" ? [{ name = "snellerd.image", value = var.snellerd_image }] : [],
    var.sdb_image != "" ? [{ name = "sdb.image", value = var.sdb_image }] : [],
  )
}

resource "helm_release" "sneller" {
  name      = "sneller"
  namespace = kubernetes_namespace_v1.sneller.metadata[0].name
  chart     = local.chart_dir
  # Wait for the snellerd replicas to be ready.
  wait    = true
  timeout = 600

  set = concat([
    { name = "snellerd.replicaCount", value = tostring(var.replicas) },
    { name = "snellerd.serviceAccount.create", value = "true" },
    { name = "snellerd.serviceAccount.name", value = local.snellerd_service_account },
    { name = "snellerd.serviceAccount.roleArn", value = aws_iam_role.snellerd.arn },
    { name = "sdb.serviceAccount.create", value = "true" },
    { name = "sdb.serviceAccount.name", value = local.sdb_service_account },
    { name = "sdb.serviceAccount.roleArn", value = aws_iam_role.sdb.arn },
    { name = "sdb.cronJob", value = "* * * * *" },
    { name = "sdb.database", value = var.database },
    { name = "sdb.tablePattern", value = var.table },
    { name = "secrets.s3.values.awsRegion", value = var.region },
    { name = "configuration.values.s3Bucket", value = "s3://${aws_s3_bucket.ingest.bucket}" },
  ], local.images, var.extra_set)

  set_sensitive = [
    { name = "secrets.token.values.snellerToken", value = random_password.token.result },
    { name = "secrets.index.values.snellerIndexKey", value = random_id.index_key.b64_std },
  ]

  # The roles must exist before the pods assume them; the definition before sdb's first run.
  depends_on = [
    aws_iam_role_policy.sdb,
    aws_iam_role_policy.snellerd,
    aws_s3_object.definition,
    aws_s3_object.sample,
  ]
}
