import * as cdk from 'aws-cdk-lib';
import { Trail } from 'aws-cdk-lib/aws-cloudtrail';
import { Construct } from 'constructs';

export class AuditStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    new Trail(this, 'AuditTrail', {
      isMultiRegionTrail: true,
    });
  }
}
