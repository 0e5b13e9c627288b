"""The bundled Recruiting schema: faithful to Workday's, up to date, loads offline, validates bodies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import zeep
import zeep.wsdl
from lxml import etree
from zeep.transports import Transport

from workday_recruiting._ns import WD
from workday_recruiting._schema import (
    BUNDLED_WSDL,
    BUNDLED_XSD,
    SchemaViolation,
    request_element_name,
    response_element_name,
    supported_operations,
    validation_errors,
    xml_schema,
)
from workday_recruiting._xml import SAFE_PARSER

XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAPBIND = "http://schemas.xmlsoap.org/wsdl/soap/"
COMPONENT_KINDS = ("element", "complexType", "simpleType", "group", "attributeGroup", "attribute")
SIX_OPERATIONS = {
    "Get_Candidates",
    "Get_Job_Requisitions",
    "Get_Interviews",
    "Get_Web_Conference_Interview_Data",
    "Get_Job_Postings",
    "Get_Server_Timestamp",
}


def _load(path: Path) -> etree._Element:
    return etree.parse(str(path), SAFE_PARSER).getroot()


def _normalized(component: etree._Element) -> bytes:
    """Exclusive C14N of a schema component without annotations or indentation whitespace."""
    component = etree.fromstring(etree.tostring(component), SAFE_PARSER)
    for annotation in list(component.iter(f"{{{XS}}}annotation")):
        parent = annotation.getparent()
        assert parent is not None
        parent.remove(annotation)
    for node in component.iter():
        if node.text is not None and not node.text.strip():
            node.text = None
        if node.tail is not None and not node.tail.strip():
            node.tail = None
    return etree.tostring(component, method="c14n", exclusive=True)


def _components(schema: etree._Element) -> dict[tuple[str, str], etree._Element]:
    return {
        (etree.QName(child).localname, child.get("name", "")): child
        for child in schema.iterchildren(etree.Element)
        if etree.QName(child).localname in COMPONENT_KINDS
    }


def _bundled_schema_components() -> dict[tuple[str, str], etree._Element]:
    return _components(_load(BUNDLED_XSD))


def _operations(wsdl: etree._Element, container: str) -> dict[str, etree._Element]:
    found = wsdl.find(f"{{{WSDL}}}{container}")
    assert found is not None
    return {op.get("name", ""): op for op in found.iterchildren(f"{{{WSDL}}}operation")}


def _message_element(wsdl: etree._Element, operation: etree._Element, direction: str) -> str:
    """The local name of the wd: element in the message of a portType operation's input or output."""
    io = operation.find(f"{{{WSDL}}}{direction}")
    assert io is not None
    message_name = io.get("message", "").rpartition(":")[2]
    (message,) = (m for m in wsdl.iterchildren(f"{{{WSDL}}}message") if m.get("name") == message_name)
    part = message.find(f"{{{WSDL}}}part")
    assert part is not None
    prefix, _, local = part.get("element", "").rpartition(":")
    assert part.nsmap[prefix] == WD
    return local


def _candidates_request(count: str) -> etree._Element:
    xml = (
        f'<wd:Get_Candidates_Request xmlns:wd="{WD}" wd:version="v45.2">\n'
        "  <wd:Response_Filter>\n"
        "    <wd:Page>1</wd:Page>\n"
        f"    <wd:Count>{count}</wd:Count>\n"
        "  </wd:Response_Filter>\n"
        "</wd:Get_Candidates_Request>"
    )
    return etree.fromstring(xml.encode(), SAFE_PARSER)


@pytest.mark.needs_full_schema
def test_every_bundled_component_equals_workdays_definition(shared_workday_dir: Path) -> None:
    """Each element, type, group and attribute in the bundle is Workday's definition minus annotations."""
    full = _components(_load(shared_workday_dir / "Recruiting_v45.2.xsd"))
    bundled = _bundled_schema_components()
    assert bundled
    for key, component in bundled.items():
        assert key in full, f"{key} is not in Workday's schema"
        assert _normalized(component) == _normalized(full[key]), f"{key} differs from Workday's schema"


@pytest.mark.needs_full_schema
def test_full_wsdl_inline_schema_is_the_full_xsd(shared_workday_dir: Path) -> None:
    """The tool reads the WSDL's inline schema; the comparison above uses the XSD: both say the same."""
    wsdl_schema = _load(shared_workday_dir / "Recruiting_v45.2.wsdl").find(f"{{{WSDL}}}types/{{{XS}}}schema")
    assert wsdl_schema is not None
    from_wsdl = _components(wsdl_schema)
    from_xsd = _components(_load(shared_workday_dir / "Recruiting_v45.2.xsd"))
    for key in _bundled_schema_components():
        assert _normalized(from_wsdl[key]) == _normalized(from_xsd[key])


def test_bundled_wsdl_inlines_the_bundled_xsd() -> None:
    """The schema inside the bundled WSDL is the bundled XSD, component for component."""
    wsdl_schema = _load(BUNDLED_WSDL).find(f"{{{WSDL}}}types/{{{XS}}}schema")
    assert wsdl_schema is not None
    inline = _components(wsdl_schema)
    standalone = _bundled_schema_components()
    assert list(inline) == list(standalone)
    for key, component in standalone.items():
        assert _normalized(inline[key]) == _normalized(component)


def test_bundle_has_no_annotations() -> None:
    """Documentation and appinfo are stripped from the bundled files."""
    for path in (BUNDLED_WSDL, BUNDLED_XSD):
        assert next(_load(path).iter(f"{{{XS}}}annotation"), None) is None, path.name


def test_bundled_files_say_how_they_were_generated() -> None:
    """Each bundled file opens with a comment naming the tool and Workday's v45.2 WSDL."""
    for path in (BUNDLED_WSDL, BUNDLED_XSD):
        comment = etree.parse(str(path), SAFE_PARSER).getroot().getprevious()
        assert comment is not None, path.name
        assert "tools/trim_schema.py" in str(comment.text)
        assert "v45.2 WSDL" in str(comment.text)


@pytest.mark.needs_full_schema
def test_regenerating_the_bundle_gives_identical_bytes(
    repo_root: Path, shared_workday_dir: Path, tmp_path: Path
) -> None:
    """Running tools/trim_schema.py again reproduces the committed files byte for byte (no stale bundle)."""
    subprocess.run(
        [
            sys.executable,
            str(repo_root / "tools" / "trim_schema.py"),
            *("--shared", str(shared_workday_dir), "--out", str(tmp_path)),
        ],
        check=True,
        capture_output=True,
    )
    for bundled in (BUNDLED_WSDL, BUNDLED_XSD):
        assert (tmp_path / bundled.name).read_bytes() == bundled.read_bytes(), f"{bundled.name} is stale"


def test_bundle_holds_exactly_the_six_operations() -> None:
    """portType and binding list the six SDK operations and nothing else; supported_operations() agrees."""
    wsdl = _load(BUNDLED_WSDL)
    assert set(_operations(wsdl, "portType")) == SIX_OPERATIONS
    assert set(_operations(wsdl, "binding")) == SIX_OPERATIONS
    assert supported_operations() == SIX_OPERATIONS


@pytest.mark.parametrize("operation", sorted(SIX_OPERATIONS))
def test_operation_request_and_response_elements_are_declared(operation: str) -> None:
    """Each operation's messages name the elements the helpers return, and the XSD declares them globally."""
    wsdl = _load(BUNDLED_WSDL)
    port_op = _operations(wsdl, "portType")[operation]
    assert _message_element(wsdl, port_op, "input") == request_element_name(operation)
    assert _message_element(wsdl, port_op, "output") == response_element_name(operation)
    components = _bundled_schema_components()
    assert ("element", request_element_name(operation)) in components
    assert ("element", response_element_name(operation)) in components


def test_server_timestamp_elements_are_workdays_odd_names() -> None:
    """Get_Server_Timestamp sends wd:Server_Timestamp_Get and receives wd:Server_Timestamp."""
    assert request_element_name("Get_Server_Timestamp") == "Server_Timestamp_Get"
    assert response_element_name("Get_Server_Timestamp") == "Server_Timestamp"


def test_unknown_operation_is_refused_with_the_supported_list() -> None:
    """Asking for an operation outside the bundle raises ValueError naming the supported ones."""
    with pytest.raises(ValueError, match="Get_Candidates"):
        request_element_name("Put_Candidate")


def test_faults_header_and_version_attribute_are_kept() -> None:
    """Fault elements, the common header and the global wd:version attribute are declared in the bundle."""
    components = _bundled_schema_components()
    for element in ("Validation_Fault", "Processing_Fault", "Authentication_Fault", "Workday_Common_Header"):
        assert ("element", element) in components
    assert ("attribute", "version") in components


def test_binding_keeps_header_and_fault_declarations() -> None:
    """Every bound operation declares the Workday_Common_Header soap:header and the two soap:faults."""
    for name, operation in _operations(_load(BUNDLED_WSDL), "binding").items():
        headers = [h.get("message") for h in operation.iter(f"{{{SOAPBIND}}}header")]
        faults = sorted(f.get("name", "") for f in operation.iter(f"{{{SOAPBIND}}}fault"))
        assert headers == ["wd-wsdl:Workday_Common_HeaderMsg"], name
        assert faults == ["Processing_Fault", "Validation_Fault"], name


def test_service_address_stays_relative() -> None:
    """The service address is Workday's relative 'Recruiting'; clients set the tenant endpoint themselves."""
    address = _load(BUNDLED_WSDL).find(f".//{{{SOAPBIND}}}address")
    assert address is not None
    assert address.get("location") == "Recruiting"


def test_bundled_xsd_compiles_in_lxml() -> None:
    """xml_schema() compiles the bundled XSD, once per process."""
    assert isinstance(xml_schema(), etree.XMLSchema)
    assert xml_schema() is xml_schema()


@pytest.mark.usefixtures("socket_disabled")
def test_zeep_loads_the_bundled_wsdl_without_network() -> None:
    """zeep parses the bundled WSDL with sockets blocked and sees the six operations on a relative address."""
    document = zeep.wsdl.Document(str(BUNDLED_WSDL), Transport())
    (service,) = document.services.values()
    (port,) = service.ports.values()
    assert port.binding_options["address"] == "Recruiting"
    assert set(port.binding._operations) == SIX_OPERATIONS


def test_count_of_1000_is_a_violation_at_its_xpath() -> None:
    """Response_Filter/Count=1000 breaks totalDigits 3; the violation names its wd: path and source line."""
    envelope = etree.fromstring(
        (
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>\n'
            + etree.tostring(_candidates_request("1000")).decode()
            + "\n</soapenv:Body></soapenv:Envelope>"
        ).encode(),
        SAFE_PARSER,
    )
    body = envelope[0][0]
    (violation,) = validation_errors(body)
    assert isinstance(violation, SchemaViolation)
    assert "totalDigits" in violation.message
    assert violation.xpath == "/wd:Get_Candidates_Request/wd:Response_Filter/wd:Count"
    assert violation.line == 5
    assert body.getparent() is not None, "the caller's tree is left intact"


def test_valid_request_has_no_violations() -> None:
    """A Get_Candidates_Request with Count=999 is valid."""
    assert validation_errors(_candidates_request("999")) == []


def test_paths_use_wd_prefix_and_positions_whatever_the_document_prefix() -> None:
    """With a default namespace, the path still reads wd:... and repeated siblings get [n]."""
    request = etree.fromstring(
        f'<Get_Candidates_Request xmlns="{WD}"><Request_References>'
        "<Candidate_Reference><ID>a</ID></Candidate_Reference>"
        "<Candidate_Reference><ID>b</ID></Candidate_Reference>"
        "</Request_References></Get_Candidates_Request>".encode(),
        SAFE_PARSER,
    )
    paths = {violation.xpath for violation in validation_errors(request)}
    assert paths == {
        "/wd:Get_Candidates_Request/wd:Request_References/wd:Candidate_Reference[1]/wd:ID",
        "/wd:Get_Candidates_Request/wd:Request_References/wd:Candidate_Reference[2]/wd:ID",
    }


def test_element_outside_the_bundle_is_reported() -> None:
    """A body of an operation the bundle does not cover is a violation, not a silent pass."""
    (violation,) = validation_errors(etree.fromstring(f'<wd:Put_Candidate_Request xmlns:wd="{WD}"/>'.encode()))
    assert "No matching global declaration" in violation.message
    assert violation.xpath == "/wd:Put_Candidate_Request"
