import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { DataAwsEksAddonVersion } from '@cdktf/provider-aws/lib/data-aws-eks-addon-version/index.js';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon/index.js';
import { CLUSTER_ADDONS } from '../cluster-addons.js';

export interface ClusterAddonsOptions {
  clusterName: string;
  kubernetesVersion: string;
  /** Add-ons that run Deployments (CoreDNS, metrics-server) only become active once nodes exist. */
  nodes: ITerraformDependable;
}

/**
 * The EKS add-ons of CLUSTER_ADDONS, managed by EKS at the default version for the cluster's
 * Kubernetes version (so a cluster upgrade moves them too). EKS installs vpc-cni, kube-proxy and
 * CoreDNS itself when it creates a cluster; OVERWRITE adopts those copies (the VPC CNI's pods then
 * restart with the network policy agent on).
 */
export class ClusterAddons extends Construct {
  constructor(scope: Construct, id: string, options: ClusterAddonsOptions) {
    super(scope, id);
    for (const addon of CLUSTER_ADDONS) {
      if (addon.kind !== 'eks-addon') continue;
      const version = new DataAwsEksAddonVersion(this, `${addon.name}-version`, { addonName: addon.name, kubernetesVersion: options.kubernetesVersion });
      new EksAddon(this, addon.name, {
        clusterName: options.clusterName,
        addonName: addon.name,
        addonVersion: version.version,
        ...(addon.configuration && { configurationValues: JSON.stringify(addon.configuration) }),
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        ...(addon.afterNodes && { dependsOn: [options.nodes] }),
      });
    }
  }
}
