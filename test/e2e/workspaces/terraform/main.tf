# Three trails the linter must flag (CTK001) and one it must leave alone.
# test/suite/terraform.test.ts looks these blocks up by their resource addresses.

resource "aws_cloudtrail" "no_key" {
  name                       = "no-key"
  s3_bucket_name             = aws_s3_bucket.logs.id
  enable_log_file_validation = true
}

resource "aws_cloudtrail" "null_key" {
  name                       = "null-key"
  s3_bucket_name             = aws_s3_bucket.logs.id
  enable_log_file_validation = true
  kms_key_id                 = null
}

resource "aws_cloudtrail" "empty_key" {
  name                       = "empty-key"
  s3_bucket_name             = aws_s3_bucket.logs.id
  enable_log_file_validation = true
  kms_key_id                 = ""
}

resource "aws_cloudtrail" "encrypted" {
  name                       = "encrypted"
  s3_bucket_name             = aws_s3_bucket.logs.id
  enable_log_file_validation = true
  kms_key_id                 = aws_kms_key.logs.arn
}
