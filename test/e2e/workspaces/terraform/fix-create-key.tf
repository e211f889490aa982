# Used by the real-editor tests (fix-create-key); the trail below has no KMS key on purpose.

resource "aws_cloudtrail" "fix_create_key" {
  name                       = "fix-create-key"
  s3_bucket_name             = aws_s3_bucket.logs.id
  enable_log_file_validation = true
}
