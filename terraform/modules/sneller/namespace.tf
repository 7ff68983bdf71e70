resource "kubernetes_namespace_v1" "sneller" {
  metadata {
    name = var.namespace
  }
}
