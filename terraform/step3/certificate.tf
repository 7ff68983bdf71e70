data "aws_route53_zone" "domain" {
  name         = var.domain
  private_zone = false
}

resource "aws_acm_certificate" "sneller" {
  domain_name       = local.fqdn
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "cert_validation" {
  for_each = {
    for o in aws_acm_certificate.sneller.domain_validation_options : o.domain_name => o
  }

  allow_overwrite = true
  zone_id         = data.aws_route53_zone.domain.zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 60
}

resource "aws_acm_certificate_validation" "sneller" {
  certificate_arn         = aws_acm_certificate.sneller.arn
  validation_record_fqdns = [for r in aws_route53_record.cert_validation : r.fqdn]

  timeouts {
    create = "15m"
  }
}
