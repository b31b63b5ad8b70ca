/**
 * Every cluster add-on the Helm chart relies on, in one place: what needs it, and who installs it.
 * cdktf installs the EKS add-ons (`ClusterAddons`); the others are Helm charts or manifests at the
 * pinned versions docs/deploy-eks.md installs. test/infra/cdktf-cross-check.test.ts holds cdktf,
 * the rendered chart and the walk-through to this list.
 */
export type ClusterAddon =
  | { kind: 'eks-addon'; name: string; neededBy: string; configuration?: Record<string, string>; afterNodes: boolean }
  | { kind: 'helm'; name: string; neededBy: string; chart: string; version: string; optional?: boolean }
  | { kind: 'manifest'; name: string; neededBy: string; version: string };

/** The load balancer controller's chart version; its IAM policy is cdktf/upstream/lb-controller-iam-policy-v<appVersion>.json. */
export const LB_CONTROLLER = { chart: 'eks/aws-load-balancer-controller', version: '3.5.0', appVersion: 'v3.5.0' } as const;

export const CLUSTER_ADDONS: readonly ClusterAddon[] = [
  // Network policy enforcement is off in the VPC CNI unless asked for: without it the chart's NetworkPolicy is accepted and ignored.
  { kind: 'eks-addon', name: 'vpc-cni', neededBy: 'pod networking; enforces the NetworkPolicy', configuration: { enableNetworkPolicy: 'true' }, afterNodes: false },
  { kind: 'eks-addon', name: 'kube-proxy', neededBy: 'Service routing', afterNodes: false },
  { kind: 'eks-addon', name: 'coredns', neededBy: 'DNS (the NetworkPolicy admits k8s-app: kube-dns in kube-system)', afterNodes: true },
  { kind: 'eks-addon', name: 'eks-pod-identity-agent', neededBy: 'EKS Pod Identity for add-ons that use it (the app uses IRSA)', afterNodes: false },
  { kind: 'eks-addon', name: 'metrics-server', neededBy: 'the HorizontalPodAutoscaler (resource metrics)', afterNodes: true },
  { kind: 'helm', name: 'aws-load-balancer-controller', neededBy: 'the Ingress (class alb) and its pod readiness gates', chart: LB_CONTROLLER.chart, version: LB_CONTROLLER.version },
  { kind: 'manifest', name: 'argo-cd', neededBy: 'the Applications in k8s/argocd', version: 'v3.4.7' },
  { kind: 'helm', name: 'argo-rollouts', neededBy: 'the Rollout and AnalysisTemplate (rollout.enabled: the release gate\'s canary)', chart: 'argo/argo-rollouts', version: '2.40.1', optional: true },
  { kind: 'helm', name: 'kube-prometheus-stack', neededBy: 'the ServiceMonitor, PrometheusRule and dashboard (monitoring.*)', chart: 'prometheus-community/kube-prometheus-stack', version: '81.4.5', optional: true },
];
