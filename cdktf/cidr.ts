/**
 * Terraform's `cidrsubnet()` for IPv4, computed at synth time so the subnets' CIDRs are plain
 * values the chart's NetworkPolicy can be checked against (`load_balancer_subnet_cidrs`).
 */
export function subnetCidr(base: string, newBits: number, netNum: number): string {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(base);
  if (!match) throw new Error(`not an IPv4 CIDR: ${base}`);
  const prefix = Number(match[5]);
  const length = prefix + newBits;
  if (length > 32 || netNum < 0 || netNum >= 2 ** newBits) throw new Error(`cannot take subnet ${netNum} of ${base} with ${newBits} new bits`);
  const address = match.slice(1, 5).reduce((value, octet) => value * 256 + Number(octet), 0);
  const network = address - (address % 2 ** (32 - prefix)) + netNum * 2 ** (32 - length);
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256);
  return `${octets.join('.')}/${length}`;
}
