# IAM roles for the sdb and snellerd service accounts (IRSA), with least privilege:
# sdb reads the source bucket and reads/writes db/* of the ingest bucket; snellerd only reads
# db/* of the ingest bucket.

locals {
  # The OIDC issuer host/path: the provider ARN without "arn:...:oidc-provider/".
  oidc_issuer = element(split(":oidc-provider/", var.oidc_provider_arn), 1)

  sdb_service_account      = "sdb"
  snellerd_service_account = "snellerd"
}

data "aws_iam_policy_document" "sdb_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.namespace}:${local.sdb_service_account}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "snellerd_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.namespace}:${local.snellerd_service_account}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "sdb" {
  statement {
    sid       = "ListSource"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.source.arn]
  }

  statement {
    sid       = "ReadSource"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.source.arn}/*"]
  }

  statement {
    sid       = "ListIngestDb"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.ingest.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["db/*"]
    }
  }

  statement {
    sid       = "ReadWriteIngestDb"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = ["${aws_s3_bucket.ingest.arn}/db/*"]
  }
}

data "aws_iam_policy_document" "snellerd" {
  statement {
    sid       = "ListIngestDb"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.ingest.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["db/*"]
    }
  }

  statement {
    sid       = "ReadIngestDb"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.ingest.arn}/db/*"]
  }
}

resource "aws_iam_role" "sdb" {
  name               = "${var.prefix}sdb"
  description        = "sdb CronJob of the sneller release in ${var.namespace}"
  assume_role_policy = data.aws_iam_policy_document.sdb_trust.json
}

resource "aws_iam_role_policy" "sdb" {
  name   = "s3"
  role   = aws_iam_role.sdb.id
  policy = data.aws_iam_policy_document.sdb.json
}

resource "aws_iam_role" "snellerd" {
  name               = "${var.prefix}snellerd"
  description        = "snellerd Deployment of the sneller release in ${var.namespace}"
  assume_role_policy = data.aws_iam_policy_document.snellerd_trust.json
}

resource "aws_iam_role_policy" "snellerd" {
  name   = "s3"
  role   = aws_iam_role.snellerd.id
  policy = data.aws_iam_policy_document.snellerd.json
}
