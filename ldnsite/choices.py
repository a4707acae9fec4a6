from django.db import models


class MSType(models.TextChoices):
    """Forms of multiple sclerosis, shared by study populations and (later) member experiences."""

    RELAPSING_REMITTING = "rrms", "Relapsing-remitting MS"
    SECONDARY_PROGRESSIVE = "spms", "Secondary-progressive MS"
    PRIMARY_PROGRESSIVE = "ppms", "Primary-progressive MS"
    CLINICALLY_ISOLATED = "cis", "Clinically isolated syndrome"
    UNSPECIFIED = "unspecified", "MS type not specified"
