// Package deploy holds the deployment files of Guichet (compose stack,
// Helm chart, dashboards, alert rules) and their tests: the container
// image built and run with Podman, the two-replica stack on loopback, the
// chart rendered and validated, the rules checked. They are slow and need
// podman, haproxy, redis-server and prometheus (scripts/install-deploy.sh),
// so they run only with GUICHET_REQUIRE_DEPLOY=1 (CI sets it).
package deploy
