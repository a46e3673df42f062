//go:build tools

// Package tools pins the etcd server that Kubernetes v1.34.4 ships with (build/dependencies.yaml: 3.6.5).
// The module root of go.etcd.io/etcd/server/v3 is itself the etcd main package.
package tools

import _ "go.etcd.io/etcd/server/v3"
