"""The codes of the registered case types, for tests (the kernel keeps no
list of case types: each package registers its code with casework.registry)."""

from workflows.bibob.machine import CODE as BIBOB
from workflows.controle.machine import CODE as CONTROLE
from workflows.gebiedsverbod.machine import CODE as GBV
from workflows.lod.machine import CODE as LOD
from workflows.pga.machine import CODE as PGA


class CaseType:
    LOD = LOD
    BIBOB = BIBOB
    CONTROLE = CONTROLE
    PGA = PGA
    GBV = GBV
    values = [LOD, BIBOB, CONTROLE, PGA, GBV]
