"""The server build version reported in ``InstanceDetail.version``."""

VERSION = "v4.0.0-ztn"
