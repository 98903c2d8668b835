// Reads a vCard file with ez-vcard (the Java library DAVx5 and many Android apps use) and
// prints each property the way ez-vcard understood it, one per line:
//   NAME <tab> GROUP <tab> VALUE [<tab> TYPES]
// with backslash, tab and line breaks in values written as \\, \t and \n.
// Run as a single-file program: java -cp ez-vcard.jar:vinnie.jar ReadVCards.java FILE
import ezvcard.Ezvcard;
import ezvcard.VCard;
import ezvcard.property.*;
import java.io.File;
import java.util.List;

public class ReadVCards {
    static String esc(String s) {
        if (s == null) return "";
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\r\n", "\\n")
                .replace("\n", "\\n");
    }

    static void out(String name, String group, String value, Object types) {
        System.out.println(name + "\t" + (group == null ? "" : group) + "\t" + esc(value)
                + (types == null ? "" : "\t" + types));
    }

    public static void main(String[] args) throws Exception {
        List<VCard> cards = Ezvcard.parse(new File(args[0])).all();
        for (VCard card : cards) {
            out("BEGIN", null, card.getVersion().getVersion(), null);
            out("FN", null, card.getFormattedName().getValue(), null);
            StructuredName n = card.getStructuredName();
            if (n != null) {
                out("N", null, String.join(";", n.getFamily() == null ? "" : n.getFamily(),
                        n.getGiven() == null ? "" : n.getGiven(),
                        String.join(",", n.getPrefixes()), String.join(",", n.getSuffixes())),
                        null);
            }
            if (card.getOrganization() != null) {
                out("ORG", null, String.join(";", card.getOrganization().getValues()), null);
            }
            for (Title t : card.getTitles()) out("TITLE", t.getGroup(), t.getValue(), null);
            for (Telephone t : card.getTelephoneNumbers()) {
                out("TEL", t.getGroup(), t.getText(), t.getTypes());
            }
            for (Email e : card.getEmails()) out("EMAIL", e.getGroup(), e.getValue(), null);
            for (Address a : card.getAddresses()) {
                out("ADR", a.getGroup(), a.getStreetAddress(), null);
            }
            for (Label l : card.getOrphanedLabels()) out("LABEL", l.getGroup(), l.getValue(), null);
            for (Note note : card.getNotes()) out("NOTE", note.getGroup(), note.getValue(), null);
            for (Url u : card.getUrls()) out("URL", u.getGroup(), u.getValue(), null);
            for (RawProperty p : card.getExtendedProperties()) {
                out(p.getPropertyName().toUpperCase(), p.getGroup(), p.getValue(), null);
            }
            out("END", null, "", null);
        }
    }
}
