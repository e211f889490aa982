// A TypeScript project beside the CDK app: its files are never read as CDK.
export class Trail {
  constructor(readonly scope: unknown, readonly id: string) {}
}
export const trail = new Trail(undefined, 'AuditTrail');
