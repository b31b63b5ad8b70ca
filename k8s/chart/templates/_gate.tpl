{{/* The release gate (release/gate.yaml, reached through the chart's release/ link), parsed once. */}}
{{- define "duet.gate" -}}
{{- .Files.Get "release/gate.yaml" | required "release/gate.yaml is missing (the chart's release link)" -}}
{{- end -}}

{{/*
PromQL over the canary's own pods: the ServiceMonitor copies the pod label rollouts-pod-template-hash
onto every series, and the Rollout passes the canary's hash as the argument canary-hash. Below
minRequests in the window the query yields 0, so neither rule gives a verdict (release/gate.yaml).
*/}}
{{- define "duet.gate.queries" -}}
{{- $gate := include "duet.gate" . | fromYaml -}}
{{- $selector := printf "job=%q, namespace=%q, rollouts_pod_template_hash=\"{{args.canary-hash}}\"" (include "duet.name" .) .Release.Namespace -}}
{{- $window := printf "%vm" $gate.windowMinutes -}}
{{- $total := printf "sum(increase(http_requests_total{%s}[%s]))" $selector $window -}}
{{- $errors := printf "(sum(increase(http_requests_total{%s, status=~\"5..\"}[%s])) or on() vector(0))" $selector $window -}}
{{- $enough := printf "on() %s >= %v" $total $gate.minRequests -}}
error-rate:
  query: {{ printf "(%s / %s and %s) or on() vector(0)" $errors $total $enough | quote }}
  max: {{ $gate.maxErrorRate }}
p99-latency:
  query: {{ printf "(histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{%s}[%s]))) and %s) or on() vector(0)" $selector $window $enough | quote }}
  max: {{ $gate.maxP99Seconds }}
{{- end -}}
