# A separate module that no test opens: only "Scan Workspace" can report this trail.

resource "aws_cloudtrail" "never_opened" {
  name                       = "never-opened"
  s3_bucket_name             = "some-existing-bucket"
  enable_log_file_validation = true
}
