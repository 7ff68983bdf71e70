{{/*
Naming. The prefix ("fullname") is fullnameOverride, else the release name when it contains the
chart name, else <release>-<name>: release `sneller` gives `sneller-snellerd`, `sneller-token`.
*/}}
{{- define "sneller.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sneller.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "sneller.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sneller.snellerdName" -}}
{{- default (printf "%s-snellerd" (include "sneller.fullname" .)) .Values.snellerd.name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sneller.headlessName" -}}
{{- /* Shorten the base, not the suffix, so that the two Service names never collide. */ -}}
{{- printf "%s-headless" (include "sneller.snellerdName" . | trunc 54 | trimSuffix "-") -}}
{{- end -}}

{{- define "sneller.sdbName" -}}
{{- default (printf "%s-sdb" (include "sneller.fullname" .)) .Values.sdb.name | trunc 52 | trimSuffix "-" -}}
{{- end -}}

{{- define "sneller.configMapName" -}}
{{- default (printf "%s-s3" (include "sneller.fullname" .)) .Values.configuration.name | trunc 253 -}}
{{- end -}}

{{- define "sneller.s3SecretName" -}}
{{- default (printf "%s-s3" (include "sneller.fullname" .)) .Values.secrets.s3.secretName | trunc 253 -}}
{{- end -}}

{{- define "sneller.tokenSecretName" -}}
{{- default (printf "%s-token" (include "sneller.fullname" .)) .Values.secrets.token.secretName | trunc 253 -}}
{{- end -}}

{{- define "sneller.indexSecretName" -}}
{{- default (printf "%s-index" (include "sneller.fullname" .)) .Values.secrets.index.secretName | trunc 253 -}}
{{- end -}}

{{/*
Service accounts. With serviceAccount.create the chart creates one named serviceAccount.name,
else serviceAccountName, else the component name. Without it, serviceAccountName (or
serviceAccount.name) names an existing one; empty means the namespace's default.
Call with (dict "root" $ "component" "snellerd").
*/}}
{{- define "sneller.serviceAccountName" -}}
{{- $v := index .root.Values .component -}}
{{- $sa := $v.serviceAccount | default dict -}}
{{- if $sa.create -}}
{{- $default := ternary (include "sneller.snellerdName" .root) (include "sneller.sdbName" .root) (eq .component "snellerd") -}}
{{- coalesce $sa.name $v.serviceAccountName $default -}}
{{- else -}}
{{- $name := coalesce $v.serviceAccountName $sa.name -}}
{{- if $name }}{{ $name }}{{ end -}}
{{- end -}}
{{- end -}}

{{/*
Labels. The legacy labels (app, release, chart) are kept because Deployment selectors are
immutable and users' tooling selects on them; the app.kubernetes.io labels are added.
Call with (dict "root" $ "component" "snellerd").
*/}}
{{- define "sneller.selectorLabels" -}}
app: {{ .component }}
release: {{ .root.Release.Name | quote }}
{{- end -}}

{{- define "sneller.labels" -}}
{{ include "sneller.selectorLabels" . }}
chart: {{ include "sneller.chart" .root | quote }}
app.kubernetes.io/name: {{ include "sneller.name" .root | quote }}
app.kubernetes.io/instance: {{ .root.Release.Name | quote }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service | quote }}
helm.sh/chart: {{ include "sneller.chart" .root | quote }}
{{- end -}}

{{/*
sneller.mergedLabels renders the chart's labels merged with user labels (.extra); the chart's
labels win so that selectors keep matching. Call with (dict "root" $ "component" c "extra" m).
*/}}
{{- define "sneller.mergedLabels" -}}
{{- $own := include "sneller.labels" . | fromYaml -}}
{{- toYaml (merge $own (deepCopy (.extra | default dict))) -}}
{{- end -}}

{{/*
sneller.podLabels: selector labels and app.kubernetes.io labels merged with podLabels.
*/}}
{{- define "sneller.podLabels" -}}
{{- $v := index .root.Values .component -}}
{{- include "sneller.mergedLabels" (dict "root" .root "component" .component "extra" $v.podLabels) -}}
{{- end -}}

{{/*
Images: the full reference in <component>.image wins, else repository:tag with the tag
defaulting to the chart's appVersion.
*/}}
{{- define "sneller.image" -}}
{{- $v := index .root.Values .component -}}
{{- if $v.image -}}
{{- $v.image -}}
{{- else -}}
{{- printf "%s:%s" $v.repository (toString (default .root.Chart.AppVersion $v.tag)) -}}
{{- end -}}
{{- end -}}

{{/*
sneller.bucket is SNELLER_BUCKET with a trailing slash removed (sdb rejects `s3://bucket/`).
*/}}
{{- define "sneller.bucket" -}}
{{- .Values.configuration.values.s3Bucket | default "" | trimSuffix "/" -}}
{{- end -}}

{{/*
sneller.s3Env: the environment both binaries read for storage: region and optional static
keys from the S3 secret, the endpoint and bucket from the ConfigMap, the index key.
*/}}
{{- define "sneller.s3Env" -}}
- name: AWS_REGION
  valueFrom:
    secretKeyRef:
      name: {{ include "sneller.s3SecretName" . }}
      key: awsRegion
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ include "sneller.s3SecretName" . }}
      key: awsAccessKeyId
      optional: true
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "sneller.s3SecretName" . }}
      key: awsSecretAccessKey
      optional: true
- name: S3_ENDPOINT
  valueFrom:
    configMapKeyRef:
      name: {{ include "sneller.configMapName" . }}
      key: endPoint
      optional: true
- name: SNELLER_BUCKET
  valueFrom:
    configMapKeyRef:
      name: {{ include "sneller.configMapName" . }}
      key: bucket
- name: SNELLER_INDEX_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "sneller.indexSecretName" . }}
      key: snellerIndexKey
{{- end -}}

{{/*
sneller.secretData renders the base64 data of one secret key: the explicit value wins, else
the value of the live Secret (a guarded lookup: empty during lint, template and dry runs),
else a generated one. Call with
(dict "root" $ "name" secretName "key" k "value" explicit "generate" "token"|"indexKey").
*/}}
{{- define "sneller.secretData" -}}
{{- if .value -}}
{{- .value | toString | b64enc -}}
{{- else -}}
{{- $old := lookup "v1" "Secret" .root.Release.Namespace .name -}}
{{- $data := dict -}}
{{- if and $old (kindIs "map" $old) -}}
{{- $data = get $old "data" | default dict -}}
{{- end -}}
{{- if and (kindIs "map" $data) (hasKey $data .key) (get $data .key) -}}
{{- get $data .key -}}
{{- else if eq .generate "indexKey" -}}
{{- randBytes 32 | b64enc -}}
{{- else -}}
{{- randAlphaNum 32 | b64enc -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
sneller.podScheduling renders nodeSelector, tolerations, affinity, topology spread and
priority class of a pod spec. Call with the component's values.
*/}}
{{- define "sneller.podScheduling" -}}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .priorityClassName }}
priorityClassName: {{ . | quote }}
{{- end }}
{{- end -}}

{{/*
sneller.imagePullSecrets accepts a list of names or of {name: ...} objects.
*/}}
{{- define "sneller.imagePullSecrets" -}}
{{- with .imagePullSecrets }}
imagePullSecrets:
{{- range . }}
{{- if kindIs "map" . }}
  - name: {{ .name | quote }}
{{- else }}
  - name: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}
