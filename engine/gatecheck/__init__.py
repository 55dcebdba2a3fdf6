"""gatecheck: policy-as-code checks of evidence against declarative YAML policies."""

__version__ = "0.2.0"
