# Used by the real-editor tests (fix-encrypt-with); the trail below has no KMS key on purpose.

resource "aws_cloudtrail" "fix_encrypt_with" {
  name                       = "fix-encrypt-with"
  s3_bucket_name             = aws_s3_bucket.logs.id
  enable_log_file_validation = true
}
