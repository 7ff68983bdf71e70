locals {
  fqdn = "${var.hostname}.${var.domain}"
  # The ALB's name (at most 32 characters), so that dns.tf can find it.
  lb_name = substr("${local.prefix}sneller", 0, 32)
}

# Step 2's module with the ingress: the snellerd Service becomes a NodePort behind an
# internet-facing ALB that terminates TLS with the ACM certificate.
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

  extra_set = [
    { name = "snellerd.serviceType", value = "NodePort" },
    { name = "ingress.enabled", value = "true" },
    { name = "ingress.ingressClassName", value = "alb" },
    { name = "ingress.hosts[0]", value = local.fqdn },
    { name = "ingress.annotations.alb\\.ingress\\.kubernetes\\.io/scheme", value = "internet-facing" },
    { name = "ingress.annotations.alb\\.ingress\\.kubernetes\\.io/load-balancer-name", value = local.lb_name },
    { name = "ingress.annotations.alb\\.ingress\\.kubernetes\\.io/listen-ports", value = "[{\"HTTPS\":443}]" },
    { name = "ingress.annotations.alb\\.ingress\\.kubernetes\\.io/certificate-arn", value = aws_acm_certificate_validation.sneller.certificate_arn },
    { name = "ingress.annotations.alb\\.ingress\\.kubernetes\\.io/healthcheck-path", value = "/ping" },
  ]

  # The controller's webhook must be up before the Ingress is created.
  depends_on = [helm_release.lb]
}
