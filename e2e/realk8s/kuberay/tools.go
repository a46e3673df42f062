//go:build tools

// Package tools pins the KubeRay operator (main package at the ray-operator module root), run out of
// cluster against the real API server; its CRDs come from the same module version.
package tools

import _ "github.com/ray-project/kuberay/ray-operator"
