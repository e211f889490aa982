# Opened with Workspace Trust enabled and the folder not trusted (Restricted Mode).

resource "aws_cloudtrail" "untrusted" {
  name                       = "untrusted"
  s3_bucket_name             = "some-existing-bucket"
  enable_log_file_validation = true
}
