#!/bin/sh
# deb post-remove: the unit goes; the data in /var/lib/enrollment-kiosk stays (factory reset erases it on purpose).
rm -f /etc/systemd/user/enrollment-kiosk.service
if grep -q 'enrollment-kiosk" --ozone-platform=headless --cli' /usr/local/bin/kiosk 2>/dev/null; then rm -f /usr/local/bin/kiosk; fi
exit 0
