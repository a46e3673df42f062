//go:build tools

// Package tools pins KWOK, which plays the kubelet of the fake nodes (run out of cluster).
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
