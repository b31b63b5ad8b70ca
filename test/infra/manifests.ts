import { parseAllDocuments } from 'yaml';
import { renderChart, type Environment } from '../../scripts/helm.js';

/** A rendered Kubernetes object, loosely typed: tests read the fields they assert on. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  [field: string]: any;
}

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length) throw new Error(`invalid YAML: ${document.errors.map((error) => error.message).join('; ')}`);
      return document.toJS() as K8sObject | null;
    })
    .filter((object): object is K8sObject => object !== null);
}

/** Every optional part switched on, so validation and policy tests see every template. */
export const EVERYTHING_ON = ['monitoring.serviceMonitor.enabled=true', 'monitoring.prometheusRule.enabled=true', 'monitoring.dashboard.enabled=true'];

export async function render(environment: Environment, set: string[] = []): Promise<K8sObject[]> {
  return parseManifests(await renderChart({ environment, set }));
}

export function only(objects: K8sObject[], kind: string): K8sObject {
  const found = objects.filter((object) => object.kind === kind);
  if (found.length !== 1) throw new Error(`expected exactly one ${kind}, found ${found.length}`);
  return found[0]!;
}

/** The app's ConfigMap (the dashboard, when on, is a ConfigMap too). */
export function appConfigMap(objects: K8sObject[]): K8sObject {
  return objects.find((object) => object.kind === 'ConfigMap' && !object.metadata.name.endsWith('-dashboard'))!;
}
