# The ALB is created by the controller after the release is installed, asynchronously: on the
# very first apply it may not exist yet when this lookup runs; apply again then.
data "aws_lb" "sneller" {
  name       = local.lb_name
  depends_on = [module.sneller]
}

resource "aws_route53_record" "sneller" {
  zone_id = data.aws_route53_zone.domain.zone_id
  name    = local.fqdn
  type    = "A"

  alias {
    name                   = "dualstack.${data.aws_lb.sneller.dns_name}"
    zone_id                = data.aws_lb.sneller.zone_id
    evaluate_target_health = true
  }
}
