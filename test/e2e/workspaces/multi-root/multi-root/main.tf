# This folder's .vscode/settings.json sets CTK001's severity for its own files only.
resource "aws_cloudtrail" "trail" {
  name           = "trail"
  s3_bucket_name = "logs"
}
