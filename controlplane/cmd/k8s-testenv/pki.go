package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// A client identity for which pki writes <name>.crt, <name>.key and <name>.kubeconfig.
type identity struct {
	file   string   // file name stem
	cn     string   // user name seen by the API server
	groups []string // organizations = groups
}

// Default identities. "restricted" is in no group: RBAC forbids it everything
// except what system:authenticated may do (discovery, self-subject reviews).
var defaultIdentities = []identity{
	{"admin", "admin", []string{"system:masters"}},
	{"restricted", "restricted", nil},
	{"kube-controller-manager", "system:kube-controller-manager", nil},
	{"kube-scheduler", "system:kube-scheduler", nil},
	// KWOK patches node and pod status, leases, events; upstream kwokctl runs
	// it with the admin kubeconfig. We give it its own name for audit clarity.
	{"kwok", "kwok-controller", []string{"system:masters"}},
}

type pkiFiles struct {
	dir      string
	caCert   *x509.Certificate
	caKey    crypto.Signer
	caPEM    []byte
	validity time.Duration
	force    bool
	keyBits  int
}

// runPKI writes everything a test control plane needs into --dir. Existing
// keys and certificates are reused unless --force (they do not depend on the
// port), kubeconfigs are always rewritten for --server.
func runPKI() int {
	fset := flag.NewFlagSet("pki", flag.ContinueOnError)
	dir := fset.String("dir", "", "output directory (required)")
	server := fset.String("server", "", "API server URL written into the kubeconfigs, e.g. https://127.0.0.1:6443 (required)")
	serviceIP := fset.String("service-cluster-ip", "10.96.0.1", "first IP of --service-cluster-ip-range (added to the serving cert)")
	days := fset.Int("days", 3650, "validity of the generated certificates in days")
	force := fset.Bool("force", false, "regenerate keys and certificates even if they exist")
	keyBits := fset.Int("rsa-bits", 2048, "RSA key size")
	var extra multiFlag
	fset.Var(&extra, "user", "extra client identity NAME[:GROUP,GROUP...] (repeatable); writes NAME.crt/.key/.kubeconfig")
	if err := fset.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *dir == "" || *server == "" {
		fmt.Fprintln(os.Stderr, "pki: --dir and --server are required")
		return 2
	}
	if u, err := url.Parse(*server); err != nil || u.Scheme != "https" || u.Host == "" {
		fmt.Fprintf(os.Stderr, "pki: --server %q must be an https:// URL\n", *server)
		return 2
	}
	svcIP := net.ParseIP(*serviceIP)
	if svcIP == nil {
		fmt.Fprintf(os.Stderr, "pki: --service-cluster-ip %q is not an IP\n", *serviceIP)
		return 2
	}
	ids := append([]identity{}, defaultIdentities...)
	for _, e := range extra {
		name, groups, _ := strings.Cut(e, ":")
		if name == "" || strings.ContainsAny(name, "/\\") {
			fmt.Fprintf(os.Stderr, "pki: bad --user %q\n", e)
			return 2
		}
		id := identity{file: name, cn: name}
		if groups != "" {
			id.groups = strings.Split(groups, ",")
		}
		ids = append(ids, id)
	}
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		fmt.Fprintf(os.Stderr, "pki: %v\n", err)
		return 1
	}
	p := &pkiFiles{dir: *dir, validity: time.Duration(*days) * 24 * time.Hour, force: *force, keyBits: *keyBits}
	if err := p.generate(*server, svcIP, ids); err != nil {
		fmt.Fprintf(os.Stderr, "pki: %v\n", err)
		return 1
	}
	return 0
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func (p *pkiFiles) path(name string) string { return filepath.Join(p.dir, name) }

func (p *pkiFiles) exists(names ...string) bool {
	if p.force {
		return false
	}
	for _, n := range names {
		if _, err := os.Stat(p.path(n)); err != nil {
			return false
		}
	}
	return true
}

func (p *pkiFiles) generate(server string, svcIP net.IP, ids []identity) error {
	var err error
	if p.caCert, p.caKey, p.caPEM, err = p.loadOrCreateCA("ca", "helm-sdk-testenv-ca"); err != nil {
		return err
	}
	// Front-proxy (aggregation layer) CA and the apiserver's client cert for it,
	// as kubeadm does: --requestheader-client-ca-file / --proxy-client-*.
	fpCert, fpKey, _, err := p.loadOrCreateCA("front-proxy-ca", "helm-sdk-testenv-front-proxy-ca")
	if err != nil {
		return err
	}
	if !p.exists("front-proxy-client.crt", "front-proxy-client.key") {
		tmpl := p.leafTemplate("front-proxy-client", nil)
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		if err := p.issueBy("front-proxy-client", tmpl, fpCert, fpKey); err != nil {
			return err
		}
	}
	// Serving certificate for kube-apiserver: every name a client may use.
	if !p.exists("apiserver.crt", "apiserver.key") {
		tmpl := p.leafTemplate("kube-apiserver", nil)
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.DNSNames = []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
			"kubernetes.default.svc.cluster", "kubernetes.default.svc.cluster.local"}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1"), net.IPv6loopback, svcIP}
		if err := p.issue("apiserver", tmpl); err != nil {
			return err
		}
	}
	// Service-account token signing key pair (controller-manager signs,
	// apiserver verifies and issues bound tokens).
	if !p.exists("sa.key", "sa.pub") {
		key, err := rsa.GenerateKey(rand.Reader, p.keyBits)
		if err != nil {
			return err
		}
		if err := writePEM(p.path("sa.key"), "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key), 0o600); err != nil {
			return err
		}
		pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
		if err != nil {
			return err
		}
		if err := writePEM(p.path("sa.pub"), "PUBLIC KEY", pub, 0o644); err != nil {
			return err
		}
	}
	for _, id := range ids {
		if !p.exists(id.file+".crt", id.file+".key") {
			tmpl := p.leafTemplate(id.cn, id.groups)
			tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
			if err := p.issue(id.file, tmpl); err != nil {
				return err
			}
		}
		if err := p.writeKubeconfig(id, server); err != nil {
			return err
		}
	}
	return nil
}

func (p *pkiFiles) loadOrCreateCA(stem, cn string) (*x509.Certificate, crypto.Signer, []byte, error) {
	if p.exists(stem+".crt", stem+".key") {
		certPEM, err := os.ReadFile(p.path(stem + ".crt"))
		if err != nil {
			return nil, nil, nil, err
		}
		keyPEM, err := os.ReadFile(p.path(stem + ".key"))
		if err != nil {
			return nil, nil, nil, err
		}
		cb, _ := pem.Decode(certPEM)
		kb, _ := pem.Decode(keyPEM)
		if cb == nil || kb == nil {
			return nil, nil, nil, fmt.Errorf("%s: cannot parse %s.crt/%s.key", p.dir, stem, stem)
		}
		cert, err := x509.ParseCertificate(cb.Bytes)
		if err != nil {
			return nil, nil, nil, err
		}
		key, err := x509.ParsePKCS1PrivateKey(kb.Bytes)
		if err != nil {
			return nil, nil, nil, err
		}
		return cert, key, certPEM, nil
	}
	key, err := rsa.GenerateKey(rand.Reader, p.keyBits)
	if err != nil {
		return nil, nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(p.validity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		SubjectKeyId:          skid(&key.PublicKey),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := writePEM(p.path(stem+".key"), "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key), 0o600); err != nil {
		return nil, nil, nil, err
	}
	if err := writePEM(p.path(stem+".crt"), "CERTIFICATE", der, 0o644); err != nil {
		return nil, nil, nil, err
	}
	return cert, key, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}

func (p *pkiFiles) leafTemplate(cn string, groups []string) *x509.Certificate {
	now := time.Now()
	return &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: cn, Organization: groups},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(p.validity),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
	}
}

func (p *pkiFiles) issue(stem string, tmpl *x509.Certificate) error {
	return p.issueBy(stem, tmpl, p.caCert, p.caKey)
}

func (p *pkiFiles) issueBy(stem string, tmpl *x509.Certificate, ca *x509.Certificate, caKey crypto.Signer) error {
	key, err := rsa.GenerateKey(rand.Reader, p.keyBits)
	if err != nil {
		return err
	}
	tmpl.AuthorityKeyId = ca.SubjectKeyId
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return err
	}
	if err := writePEM(p.path(stem+".key"), "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key), 0o600); err != nil {
		return err
	}
	return writePEM(p.path(stem+".crt"), "CERTIFICATE", der, 0o644)
}

func (p *pkiFiles) writeKubeconfig(id identity, server string) error {
	cert, err := os.ReadFile(p.path(id.file + ".crt"))
	if err != nil {
		return err
	}
	key, err := os.ReadFile(p.path(id.file + ".key"))
	if err != nil {
		return err
	}
	b64 := base64.StdEncoding.EncodeToString
	kc := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: testenv
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: %s
  user:
    client-certificate-data: %s
    client-key-data: %s
contexts:
- name: %s@testenv
  context:
    cluster: testenv
    user: %s
current-context: %s@testenv
`, server, b64(p.caPEM), id.file, b64(cert), b64(key), id.file, id.file, id.file)
	return writeFileAtomic(p.path(id.file+".kubeconfig"), []byte(kc), 0o600)
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	if err != nil {
		panic(err)
	}
	return n
}

func skid(pub *rsa.PublicKey) []byte {
	h := sha1.Sum(x509.MarshalPKCS1PublicKey(pub))
	return h[:]
}

func writePEM(path, typ string, der []byte, mode fs.FileMode) error {
	return writeFileAtomic(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), mode)
}

func writeFileAtomic(path string, data []byte, mode fs.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
