# Used by the real-editor tests (edit-me); the trail below has no KMS key on purpose.

resource "aws_cloudtrail" "edit_me" {
  name                       = "edit-me"
  s3_bucket_name             = aws_s3_bucket.logs.id
  enable_log_file_validation = true
}
