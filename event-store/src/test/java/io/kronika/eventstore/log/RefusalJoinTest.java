package io.kronika.eventstore.log;

import io.kronika.eventstore.client.Commands;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Outcome;
import io.kronika.schemas.Refusal;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalJoinTest {
    private static final ObjectRef REF = new ObjectRef("", "ConfigMap", "default", "c");

    private static Command create() {
        return Commands.create(REF, "{}", Commands.actor("alice", "api-gateway"));
    }

    private static CommandResult result(Command c, Outcome outcome, int code, String reason) {
        return CommandResult.newBuilder().setCommandId(c.getCommandId()).setOutcome(outcome).setCode(code).setReason(reason)
                .setMessage(reason.isEmpty() ? "" : "configmaps \"c\" " + reason).setRef(REF).setTimestamp(Instant.ofEpochMilli(5_000)).build();
    }

    @Test
    void aRejectionIsReportedOnceBothHalvesArrivedInEitherOrder() {
        RefusalJoin join = new RefusalJoin();
        Command first = create();
        assertThat(join.onCommand(first)).isEmpty();
        RefusalJoin.Refusal refused = join.onResult(result(first, Outcome.REJECTED, 409, "AlreadyExists")).orElseThrow();
        assertThat(refused.command()).isEqualTo(first);
        assertThat(refused).extracting(RefusalJoin.Refusal::code, RefusalJoin.Refusal::reason, RefusalJoin.Refusal::verb,
                RefusalJoin.Refusal::time, RefusalJoin.Refusal::atGateway).containsExactly(409, "AlreadyExists", "create", Instant.ofEpochMilli(5_000), false);

        Command second = create();
        assertThat(join.onResult(result(second, Outcome.REJECTED, 422, "Invalid"))).isEmpty();
        assertThat(join.onCommand(second).orElseThrow().reason()).isEqualTo("Invalid");
    }

    @Test
    void acceptedCommandsAndDryRunsAreNotRefusals() {
        RefusalJoin join = new RefusalJoin();
        Command accepted = create();
        assertThat(join.onCommand(accepted)).isEmpty();
        assertThat(join.onResult(result(accepted, Outcome.ACCEPTED, 201, ""))).isEmpty();
        Command dryRun = Command.newBuilder(create()).setDryRun(true).build();
        assertThat(join.onCommand(dryRun)).isEmpty();
        assertThat(join.onResult(result(dryRun, Outcome.REJECTED, 409, "AlreadyExists"))).isEmpty();
    }

    @Test
    void aGatewayRefusalStandsAloneWithItsOwnVerb() {
        Command refused = Command.newBuilder(create())
                .setRefusal(new Refusal(403, "Forbidden", "user \"eve\" cannot list", "list", "/api/v1/configmaps")).build();
        RefusalJoin.Refusal r = new RefusalJoin().onCommand(refused).orElseThrow();
        assertThat(r).extracting(RefusalJoin.Refusal::code, RefusalJoin.Refusal::verb, RefusalJoin.Refusal::atGateway, RefusalJoin.Refusal::time)
                .containsExactly(403, "list", true, refused.getRequestedAt());
    }
}
