"""ztn: one server, four doors."""

# Generated modules of our own protos (package ztn.*) live in gen/ztn; let them join this package.
__path__ = __import__("pkgutil").extend_path(__path__, __name__)
