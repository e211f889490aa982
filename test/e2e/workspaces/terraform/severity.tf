# Used by the real-editor tests (severity); the trail below has no KMS key on purpose.

resource "aws_cloudtrail" "severity" {
  name                       = "severity"
  s3_bucket_name             = aws_s3_bucket.logs.id
  enable_log_file_validation = true
}
