"""Amazon's functional and interchange acknowledgements (997 / TA1 / CONTRL) in the reader's
language.

The codecs write each error as "<where>: <reason>" with the standard's reason for the code
(X12 data elements 716/718/720/723, ISO 9735 data element 0085). The reasons are listed here as
terms to translate, so an accountant in Shenzhen reads them in Chinese, with the segment and
element left as they are."""
import re

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# The reasons, as the codecs word them (x12.ts997 tables, edifact SYNTAX_ERRORS).
_REASONS = (
    _lt('unrecognized segment ID'),
    _lt('unexpected segment'),
    _lt('mandatory segment missing'),
    _lt('loop occurs over maximum times'),
    _lt('segment exceeds maximum use'),
    _lt('segment not in defined transaction set'),
    _lt('segment not in proper sequence'),
    _lt('segment has data element errors'),
    _lt('mandatory data element missing'),
    _lt('conditional required data element missing'),
    _lt('too many data elements'),
    _lt('data element too short'),
    _lt('data element too long'),
    _lt('invalid character in data element'),
    _lt('invalid code value'),
    _lt('invalid date'),
    _lt('invalid time'),
    _lt('exclusion condition violated'),
    _lt('transaction set not supported'),
    _lt('transaction set trailer missing'),
    _lt('transaction set control number in header and trailer do not match'),
    _lt('number of included segments does not match actual count'),
    _lt('one or more segments in error'),
    _lt('missing or invalid transaction set identifier'),
    _lt('missing or invalid transaction set control number'),
    _lt('transaction set control number not unique within the functional group'),
    _lt('functional group not supported'),
    _lt('functional group version not supported'),
    _lt('functional group trailer missing'),
    _lt('group control number in the functional group header and trailer do not agree'),
    _lt('number of included transaction sets does not match actual count'),
    _lt('group control number violates syntax'),
    _lt('syntax version or level not supported'),
    _lt('interchange recipient is not the actual recipient'),
    _lt('invalid value'),
    _lt('missing'),
    _lt('value not supported in this position'),
    _lt('not supported in this position'),
    _lt('too many constituents'),
    _lt('no agreement'),
    _lt('unspecified error'),
    _lt('invalid decimal notation'),
    _lt('character invalid as service character'),
    _lt('invalid character(s)'),
    _lt('invalid service character(s)'),
    _lt('unknown interchange sender'),
    _lt('test indicator not supported'),
    _lt('duplicate detected'),
    _lt('references do not match'),
    _lt('control count does not match number of instances received'),
    _lt('lower level empty'),
    _lt('invalid occurrence outside message, package or group'),
    _lt('too many repetitions'),
    _lt('invalid type of character(s)'),
    # TA1 interchange note codes (X12 data element I18; x12.ta1.NOTES)
    _lt('no error'),
    _lt('the interchange control number in the header and trailer do not match'),
    _lt('this standard as noted in the control standards identifier is not supported'),
    _lt('this version of the controls is not supported'),
    _lt('the segment terminator is invalid'),
    _lt('invalid interchange ID qualifier for sender'),
    _lt('invalid interchange sender ID'),
    _lt('invalid interchange ID qualifier for receiver'),
    _lt('invalid interchange receiver ID'),
    _lt('unknown interchange receiver ID'),
    _lt('invalid authorization information qualifier value'),
    _lt('invalid authorization information value'),
    _lt('invalid security information qualifier value'),
    _lt('invalid security information value'),
    _lt('invalid interchange date value'),
    _lt('invalid interchange time value'),
    _lt('invalid interchange standards identifier value'),
    _lt('invalid interchange version ID value'),
    _lt('invalid interchange control number value'),
    _lt('invalid acknowledgment requested value'),
    _lt('invalid test indicator value'),
    _lt('invalid number of included groups value'),
    _lt('invalid control structure'),
    _lt('improper (premature) end-of-file (transmission)'),
    _lt('invalid interchange content (e.g., invalid GS segment)'),
    _lt('duplicate interchange control number'),
    _lt('invalid data element separator'),
    _lt('invalid component element separator'),
    _lt('invalid delivery date in deferred delivery request'),
    _lt('invalid delivery time in deferred delivery request'),
    _lt('invalid delivery time code in deferred delivery request'),
    _lt('invalid grade of service code'),
)
REASONS = {reason._source: reason for reason in _REASONS}
WHERE = re.compile(r"^(?P<where>(?:transaction set|group|interchange) \S+|[A-Z0-9]{2,3}(?:\d{2})?"
                   r"(?:\.\d+)?(?: \(segment [^)]*\))?): (?P<reason>.+?)(?P<value> \('.*'\))?$")
SEGMENT = re.compile(r"\(segment ([^)]*)\)")


def translate_error(env, text):
    """One error line of a 997 / CONTRL in ``env``'s language (unknown wording: as is)."""
    match = WHERE.match(text or "")
    if not match or match.group("reason") not in REASONS:
        return text
    where = SEGMENT.sub(lambda m: env._("(segment %s)", m.group(1)), match.group("where"))
    where = where.replace("transaction set", env._("transaction set")).replace(
        "group", env._("group")).replace("interchange", env._("interchange"))
    reason = str(REASONS[match.group("reason")]._translate(env.lang))
    return f"{where}: {reason}{match.group('value') or ''}"
