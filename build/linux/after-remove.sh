#!/bin/sh
# deb post-remove: the unit goes; the data in /var/lib/enrollment-kiosk stays (factory reset erases it on purpose).
rm -f /etc/systemd/user/enrollment-kiosk.service
exit 0
