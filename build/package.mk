# build/package.mk: installable packages (issue 7), included from the
# Makefile, which sets VERSION (build/scripts/version.sh), LDFLAGS and BIN.
#   make package       .deb + .rpm of the app and of llproxy, Windows installer
#   make test-package  builds the Linux packages and checks them; in CI
#                      (CI=true, as root) also installs and removes them
#   make test-install  the install/launch/remove check, on request

NFPM := go run github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2
DIST := dist
PROXY_BIN := build/bin/llproxy
ICON_DIR := build/bin/hicolor
DEB_APP := $(DIST)/fragmenteditor_$(VERSION)_amd64.deb
RPM_APP := $(DIST)/fragmenteditor-$(VERSION).x86_64.rpm
DEB_PROXY := $(DIST)/llproxy_$(VERSION)_amd64.deb
RPM_PROXY := $(DIST)/llproxy-$(VERSION).x86_64.rpm
WIN_INSTALLER := $(DIST)/FragmentEditor-$(VERSION)-amd64-installer.exe
# makensis, desktop-file-validate, convert, dpkg-shlibdeps, file, rpm -qp.
PACKAGING_APT := nsis desktop-file-utils imagemagick dpkg-dev file rpm

.PHONY: package package-deps package-app-bin package-proxy-bin package-icons package-deb package-linux \
	package-windows test-package test-install

package: package-linux package-windows ## build .deb/.rpm packages (app, llproxy) and the Windows installer into dist/
	@ls -l $(DIST)

package-deps: deps
	@build/scripts/ensure-apt.sh $(PACKAGING_APT)

# The desktop binary: the one `make build` made when it is current and
# carries this VERSION, else built now (with this VERSION even if HEAD
# moves meanwhile).
package-app-bin: package-deps
	@if build/scripts/package-fresh.sh $(BIN) '$(VERSION)'; then \
		echo "using $(BIN) (current, version $(VERSION))"; \
	else \
		$(MAKE) --no-print-directory build VERSION='$(VERSION)'; \
	fi

package-proxy-bin: frontend
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w $(LDFLAGS)" -o $(PROXY_BIN) ./backend/cmd/llproxy

package-icons: package-deps
	build/scripts/package-icons.sh build/appicon.png $(ICON_DIR)

package-deb: package-app-bin package-proxy-bin package-icons ## build the two .deb packages into dist/
	@mkdir -p $(DIST) && rm -f $(DIST)/fragmenteditor_*_amd64.deb $(DIST)/llproxy_*_amd64.deb
	VERSION='$(VERSION)' $(NFPM) pkg -f build/linux/fragmenteditor.nfpm.yaml -p deb -t $(DEB_APP)
	VERSION='$(VERSION)' $(NFPM) pkg -f build/linux/llproxy/llproxy.nfpm.yaml -p deb -t $(DEB_PROXY)

package-linux: package-deb ## build the .deb and .rpm packages into dist/
	@rm -f $(DIST)/fragmenteditor-*.x86_64.rpm $(DIST)/llproxy-*.x86_64.rpm
	VERSION='$(VERSION)' $(NFPM) pkg -f build/linux/fragmenteditor.nfpm.yaml -p rpm -t $(RPM_APP)
	VERSION='$(VERSION)' $(NFPM) pkg -f build/linux/llproxy/llproxy.nfpm.yaml -p rpm -t $(RPM_PROXY)

# Needs the built frontend (frontend/dist), which package-app-bin ensures.
package-windows: package-app-bin ## cross-compile the Windows installer (NSIS) into dist/
	@rm -f $(DIST)/FragmentEditor-*-amd64-installer.exe
	build/scripts/package-windows.sh '$(VERSION)' $(WIN_INSTALLER)

test-package: package-linux ## check the packages' contents; in CI (CI=true, root) also install and remove them
	build/scripts/test-package.sh '$(VERSION)'
	@if [ "$${CI:-}" = true ] && [ "$$(id -u)" = 0 ]; then \
		build/scripts/test-package-install.sh '$(VERSION)'; \
	else \
		echo "test-package: not installing (only in CI as root; run make test-install to install, check and remove them)"; \
	fi

test-install: package-deb ## install the .deb packages, launch the app under Xvfb, then purge them (changes the system)
	build/scripts/test-package-install.sh '$(VERSION)'
