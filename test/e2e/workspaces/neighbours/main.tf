# Two trails without a KMS key: each must be reported once, whoever else reads this file.
resource "aws_cloudtrail" "first" {
  name           = "first"
  s3_bucket_name = "logs"
}

resource "aws_cloudtrail" "second" {
  name           = "second"
  s3_bucket_name = "logs"
}
