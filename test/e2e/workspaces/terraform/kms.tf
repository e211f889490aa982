# The customer-managed key the good trail uses, with the grants CloudTrail needs:
# encrypt (scoped to this account's trails), describe the key, and let the account read logs.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  trail_arns = "arn:${data.aws_partition.current.partition}:cloudtrail:${data.aws_region.current.name}:${local.account_id}:trail/*"
}

resource "aws_kms_key" "logs" {
  description         = "CloudTrail log encryption"
  enable_key_rotation = true

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersKey"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudTrailEncryptsLogs"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "kms:GenerateDataKey*"
        Resource  = "*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = local.account_id }
          StringLike   = { "kms:EncryptionContext:aws:cloudtrail:arn" = local.trail_arns }
        }
      },
      {
        Sid       = "CloudTrailDescribesKey"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "kms:DescribeKey"
        Resource  = "*"
      },
      {
        Sid       = "AccountReadsLogs"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["kms:Decrypt", "kms:ReEncryptFrom"]
        Resource  = "*"
        Condition = {
          StringEquals = { "kms:CallerAccount" = local.account_id }
          StringLike   = { "kms:EncryptionContext:aws:cloudtrail:arn" = local.trail_arns }
        }
      },
    ]
  })
}
