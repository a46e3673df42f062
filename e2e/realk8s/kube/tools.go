//go:build tools

// Package tools pins the Kubernetes control-plane programs that the real-Kubernetes test tier
// builds with `go build`. Nothing here is compiled into emr-vke.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
