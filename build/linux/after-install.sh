#!/bin/sh
# deb post-install: the kiosk user needs the serial ports (R30x/GT-511C3 over USB-UART) and the camera.
set -e
if getent group dialout >/dev/null 2>&1 && id kiosk >/dev/null 2>&1; then usermod -a -G dialout,video kiosk || true; fi
install -d -m 0755 /etc/enrollment-kiosk
install -d -m 0700 /var/lib/enrollment-kiosk
if id kiosk >/dev/null 2>&1; then chown kiosk: /var/lib/enrollment-kiosk; fi
# The systemd unit is installed but not enabled: the technician enables it after provisioning (docs/DEPLOYMENT.md).
install -m 0644 /opt/Enrollment\ Kiosk/resources/enrollment-kiosk.service /etc/systemd/user/enrollment-kiosk.service 2>/dev/null || true
# The technician CLI (`kiosk doctor --full`, `kiosk provision`, …) runs inside the app binary: no Node is shipped.
if [ ! -e /usr/local/bin/kiosk ]; then
  printf '%s\n' '#!/bin/sh' 'exec "/opt/Enrollment Kiosk/enrollment-kiosk" --ozone-platform=headless --cli "$@"' > /usr/local/bin/kiosk
  chmod 0755 /usr/local/bin/kiosk
fi
exit 0
