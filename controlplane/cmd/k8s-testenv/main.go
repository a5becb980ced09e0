// Command k8s-testenv is a multi-call binary holding a real Kubernetes control
// plane for tests: the upstream kube-apiserver, kube-controller-manager,
// kube-scheduler and kubectl commands (k8s.io/kubernetes), an embedded etcd
// server (go.etcd.io/etcd/server/v3/embed), the KWOK controller
// (sigs.k8s.io/kwok) and two small helpers (pki, freeport).
//
// Call it as "k8s-testenv <subcommand> [flags]" or through a symlink whose
// name is the subcommand (kube-apiserver -> k8s-testenv), busybox style.
// One binary instead of six: the packages they share (client-go, apimachinery,
// apiserver, ...) are compiled and linked once, which roughly halves the cold
// build and the disk use.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

type subcommand struct {
	run     func() int
	summary string
}

var subcommands = map[string]subcommand{
	"kube-apiserver":          {runAPIServer, "upstream kube-apiserver"},
	"kube-controller-manager": {runControllerManager, "upstream kube-controller-manager"},
	"kube-scheduler":          {runScheduler, "upstream kube-scheduler"},
	"kubectl":                 {runKubectl, "upstream kubectl"},
	"etcd":                    {runEtcd, "single-member etcd (embedded go.etcd.io/etcd/server/v3)"},
	"kwok":                    {runKwok, "KWOK controller (fake nodes and pods, stages)"},
	"pki":                     {runPKI, "generate CA, serving/client certs, SA key and kubeconfigs"},
	"freeport":                {runFreePort, "print free TCP ports on 127.0.0.1"},
	"version":                 {runVersion, "print component versions"},
}

// aliases let the short names work too ("k8s-testenv apiserver").
var aliases = map[string]string{
	"apiserver":          "kube-apiserver",
	"controller-manager": "kube-controller-manager",
	"scheduler":          "kube-scheduler",
}

func lookup(name string) (string, subcommand, bool) {
	if a, ok := aliases[name]; ok {
		name = a
	}
	sc, ok := subcommands[name]
	return name, sc, ok
}

func usage() {
	fmt.Fprintf(os.Stderr, "usage: k8s-testenv <subcommand> [flags]\n\nsubcommands:\n")
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-24s %s\n", n, subcommands[n].summary)
	}
}

func main() {
	base := strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe")
	name, sc, ok := lookup(base)
	if !ok {
		if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
			usage()
			if len(os.Args) < 2 {
				os.Exit(2)
			}
			os.Exit(0)
		}
		name, sc, ok = lookup(os.Args[1])
		if !ok {
			fmt.Fprintf(os.Stderr, "k8s-testenv: unknown subcommand %q\n\n", os.Args[1])
			usage()
			os.Exit(2)
		}
		// The upstream commands parse os.Args[1:] (cobra, kwok's pre-parsing of
		// --config), so present them the argv they would see as standalone binaries.
		os.Args = append([]string{name}, os.Args[2:]...)
	}
	if os.Getenv("K8S_TESTENV_EXIT_WITH_PARENT") == "1" {
		exitWithParent(name)
	}
	os.Exit(sc.run())
}

// exitWithParent makes this process stop when the process that started it
// dies (the test JVM, say, killed with SIGKILL), so no control-plane process
// outlives its owner: once the parent pid changes (re-parented), send
// ourselves SIGTERM for the normal graceful shutdown, and exit hard if that
// has not finished 15 s later. Polls once a second; opt-in through
// K8S_TESTENV_EXIT_WITH_PARENT=1 (prctl's PDEATHSIG would fire when the
// parent *thread* ends, which in a JVM is any thread that started us).
func exitWithParent(name string) {
	ppid := os.Getppid()
	go func() {
		for {
			time.Sleep(time.Second)
			if os.Getppid() != ppid {
				fmt.Fprintf(os.Stderr, "%s: parent process %d is gone, shutting down\n", name, ppid)
				if name == "etcd" {
					// Its siblings notice at the same moment; let the apiserver
					// finish its graceful shutdown (~1 s) while etcd still answers.
					time.Sleep(3 * time.Second)
				}
				_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
				time.Sleep(15 * time.Second)
				os.Exit(1)
			}
		}
	}()
}
