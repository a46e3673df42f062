{{/*
What the Kubeflow Spark operator v1beta2-1.4.3 does in its own namespace: reconcile SparkApplications and
ScheduledSparkApplications, watch pods, and submit (spark-submit creates the driver pod, its service,
config map and on-demand volume claims; the UI service). Left out of the project's cluster-wide role: what
only its webhook, Spark UI ingresses, resource-quota enforcement, leader election, Kerberos secrets or
CRD self-installation need, none of which these charts enable.
*/}}
{{- define "spark-operator.rules" -}}
- apiGroups: [sparkoperator.k8s.io]
  resources: [sparkapplications, scheduledsparkapplications]
  verbs: [create, delete, get, list, patch, update, watch]
- apiGroups: [sparkoperator.k8s.io]
  resources: [sparkapplications/status, scheduledsparkapplications/status]
  verbs: [get, patch, update]
- apiGroups: [sparkoperator.k8s.io]
  resources: [sparkapplications/finalizers, scheduledsparkapplications/finalizers]
  verbs: [update]
- apiGroups: [""]
  resources: [pods]
  verbs: [create, delete, get, list, patch, update, watch]
- apiGroups: [""]
  resources: [services, configmaps]
  verbs: [create, delete, get, patch, update]
- apiGroups: [""]
  resources: [persistentvolumeclaims]
  verbs: [create, delete, get, list]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch, update]
{{- end }}
