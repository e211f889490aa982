# Nothing to report here: a customer-managed key with rotation, a policy that lets CloudTrail
# encrypt (only for this account's trails) and describe the key, lets the account read the
# logs, and a trail that uses it through an alias.

resource "aws_kms_key" "audit" {
  description         = "CloudTrail audit log encryption"
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

resource "aws_kms_alias" "audit" {
  name          = "alias/cloudtrail-audit"
  target_key_id = aws_kms_key.audit.key_id
}

resource "aws_cloudtrail" "audit" {
  name                          = "audit"
  s3_bucket_name                = aws_s3_bucket.trail_logs.id
  include_global_service_events = true
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_alias.audit.arn

  depends_on = [aws_s3_bucket_policy.trail_logs]
}
