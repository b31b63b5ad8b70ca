import { Construct } from 'constructs';
import { Eip } from '@cdktf/provider-aws/lib/eip/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway/index.js';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import { subnetCidr } from '../cidr.js';

export interface EksNetworkOptions {
  name: string;
  clusterName: string;
  /** A /16: private subnets get a /19 each, public ones a /22. */
  cidrBlock: string;
  availabilityZones: string[];
  /** `per-az` keeps egress up when one zone fails (prod); `single` saves two gateways (dev). */
  natGateways: 'single' | 'per-az';
}

/** Public subnets for load balancers, private subnets for nodes, one route table per private subnet. */
export class EksNetwork extends Construct {
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  /** Where internet-facing load balancers live: the only sources the app's pods accept traffic from. */
  readonly publicSubnetCidrs: string[];

  constructor(scope: Construct, id: string, options: EksNetworkOptions) {
    super(scope, id);
    const { name, clusterName, cidrBlock, availabilityZones } = options;
    const vpc = new Vpc(this, 'vpc', { cidrBlock, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name } });
    const igw = new InternetGateway(this, 'igw', { vpcId: vpc.id, tags: { Name: name } });
    const publicRoutes = new RouteTable(this, 'public-routes', {
      vpcId: vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
      tags: { Name: `${name}-public` },
    });

    this.publicSubnetCidrs = availabilityZones.map((_, i) => subnetCidr(cidrBlock, 6, 48 + i));
    const publicSubnets = availabilityZones.map((az, i) => {
      const subnet = new Subnet(this, `public-${az}`, {
        vpcId: vpc.id,
        availabilityZone: az,
        cidrBlock: this.publicSubnetCidrs[i],
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-public-${az}`, 'kubernetes.io/role/elb': '1', [`kubernetes.io/cluster/${clusterName}`]: 'shared' },
      });
      new RouteTableAssociation(this, `public-${az}-routes`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
      return subnet;
    });

    const natCount = options.natGateways === 'per-az' ? availabilityZones.length : 1;
    const nats = publicSubnets.slice(0, natCount).map((subnet, i) => {
      const eip = new Eip(this, `nat-eip-${i}`, { domain: 'vpc', tags: { Name: `${name}-nat-${i}` } });
      return new NatGateway(this, `nat-${i}`, { allocationId: eip.allocationId, subnetId: subnet.id, tags: { Name: `${name}-nat-${i}` }, dependsOn: [igw] });
    });

    this.privateSubnetIds = availabilityZones.map((az, i) => {
      const subnet = new Subnet(this, `private-${az}`, {
        vpcId: vpc.id,
        availabilityZone: az,
        cidrBlock: subnetCidr(cidrBlock, 3, i),
        tags: { Name: `${name}-private-${az}`, 'kubernetes.io/role/internal-elb': '1', [`kubernetes.io/cluster/${clusterName}`]: 'shared' },
      });
      const routes = new RouteTable(this, `private-${az}-routes`, {
        vpcId: vpc.id,
        route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nats[i % natCount]!.id }],
        tags: { Name: `${name}-private-${az}` },
      });
      new RouteTableAssociation(this, `private-${az}-association`, { subnetId: subnet.id, routeTableId: routes.id });
      return subnet.id;
    });
    this.vpcId = vpc.id;
  }
}
