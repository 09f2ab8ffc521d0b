using System.Collections.Immutable;

namespace RetentionKit.Playbooks;

/// <summary>
/// The second document's conversation scripts as customer-facing templates (issue 24), in Spanish and English, written
/// for this library after the scripts' structure: the check-ins at 30 and 90 days and before renewal, expansion by usage
/// (two options), by need and by a new feature, reactivation after 30 days, the save conversation, and upsell by results
/// and by team (two options, with the saving). Placeholders beyond the standard ones: <c>{metric1}</c>…<c>{metric3}</c>
/// with <c>{expected1}</c>…<c>{expected3}</c>, <c>{usage1}</c>, <c>{usage2}</c>, <c>{result}</c>, <c>{weeklyUses}</c>,
/// <c>{includedUses}</c>, <c>{upgradeFeatures}</c>, <c>{upgradePrice}</c>, <c>{upgradeRoi}</c>, <c>{addOnUses}</c>,
/// <c>{addOnPrice}</c>, <c>{need}</c>, <c>{reason}</c>, <c>{biggerResult}</c>, <c>{users}</c>, <c>{seatPrice}</c>,
/// <c>{teamUsers}</c>, <c>{teamFeatures}</c>, <c>{teamPrice}</c>, <c>{saving}</c>. A missing value fails, naming it.
/// </summary>
internal static class ScriptTemplates
{
    public static ImmutableArray<MessageTemplate> All { get; } =
    [
        .. BuiltInTemplates.Pair(TemplateIds.ScriptSuccessCheckIn,
            "{name}, ¿qué tal tu primer mes con {product}?",
            "Hola {name}:\n\nHace 30 días que empezaste con {product} y quiero saber cómo te va.\n\nCuatro preguntas rápidas:\n1. ¿Usas ya {feature}? ¿Qué tal?\n2. ¿Has notado algún resultado? ¿Cuál?\n3. ¿En qué te puedo echar una mano?\n4. ¿Qué función te gustaría tener?\n\nSi todo marcha, estupendo; si algo se puede mejorar, aquí estoy.\n\n¿Te viene bien una llamada de 5 minutos esta semana?",
            "{name}, how is your first month with {product}?",
            "Hi {name},\n\nYou started with {product} 30 days ago, and I would like to hear how it is going.\n\nFour quick questions:\n1. Are you using {feature} yet? How is it going?\n2. Have you seen a result? Which one?\n3. Is there anything I can help with?\n4. Which feature would you like to see?\n\nIf all is well, great; if something could be better, I am here to help.\n\nDo you have 5 minutes for a quick call this week?"),
        .. BuiltInTemplates.Pair(TemplateIds.ScriptValueCheckIn,
            "{name}, repasemos tu retorno con {product}",
            "Hola {name}:\n\nLlevas tres meses con {product} y quiero comprobar el retorno que te da.\n\nLo que deberías estar viendo:\n- {metric1}: {expected1}\n- {metric2}: {expected2}\n- {metric3}: {expected3}\n\n1. ¿Ves estos resultados?\n2. ¿Hay algo que no funcione como esperabas?\n3. ¿Echas en falta alguna función?\n\nSi los resultados llegan, genial; si no, trabajemos juntos hasta que lleguen: forma parte de nuestra garantía.\n\n¿Reservamos 15 minutos para revisarlo?",
            "{name}, let us review your return on {product}",
            "Hi {name},\n\nYou have had {product} for three months, and I would like to check the return it gives you.\n\nWhat you should be seeing:\n- {metric1}: {expected1}\n- {metric2}: {expected2}\n- {metric3}: {expected3}\n\n1. Are you seeing these results?\n2. Is anything not working as you expected?\n3. Is there a feature you need?\n\nIf the results are there, great; if not, let us work on them together: that is part of our guarantee.\n\nShall we book 15 minutes to review?"),
        .. BuiltInTemplates.Pair(TemplateIds.ScriptRenewalCheckIn,
            "{name}, tu suscripción se renueva en {days} días",
            "Hola {name}:\n\nTu suscripción se renueva en {days} días. Antes de que lo haga sola, quiero asegurarme de que te da el valor que necesitas.\n\nTu uso en resumen:\n- {usage1}\n- {usage2}\n- Lo conseguido: {result}\n\n1. ¿Estás contento con los resultados?\n2. ¿Quieres cambiar algo?\n3. ¿Te interesa renovar con algún ajuste?\n\nSi todo está bien, la renovación es automática; si quieres ajustar algo, hablémoslo antes.\n\n¿Tienes 10 minutos esta semana?",
            "{name}, your subscription renews in {days} days",
            "Hi {name},\n\nYour subscription renews in {days} days. Before it renews on its own, I want to make sure it gives you the value you need.\n\nYour use at a glance:\n- {usage1}\n- {usage2}\n- What you achieved: {result}\n\n1. Are you happy with the results?\n2. Is there anything you would like to change?\n3. Would you like to renew with an adjustment?\n\nIf all is well, the renewal is automatic; if you would like to adjust something, let us talk before it renews.\n\nDo you have 10 minutes this week?"),
        .. BuiltInTemplates.Pair(TemplateIds.ScriptExpansionUsage,
            "{name}, estás cerca del límite de {feature}",
            "Hola {name}:\n\nUsas mucho {product}, y eso significa que te funciona.\n\nUsas {feature} {weeklyUses} veces por semana y tu plan incluye {includedUses}: estás cerca del límite. Hay dos caminos:\n\nOpción 1: pasar a {plan}\n- Usos sin límite\n- Además: {upgradeFeatures}\n- {upgradePrice} más al mes\n- Retorno: {upgradeRoi}\n\nOpción 2: un complemento de usos\n- {addOnUses} usos más al mes\n- {addOnPrice} al mes\n- Mantienes tu plan\n\n¿Cuál te encaja mejor?",
            "{name}, you are close to your {feature} limit",
            "Hi {name},\n\nYou use {product} a lot, which means it works for you.\n\nYou use {feature} {weeklyUses} times a week and your plan includes {includedUses}: you are close to the limit. There are two ways forward:\n\nOption 1: move to {plan}\n- Unlimited use\n- Also: {upgradeFeatures}\n- {upgradePrice} more a month\n- Return: {upgradeRoi}\n\nOption 2: an add-on of uses\n- {addOnUses} more uses a month\n- {addOnPrice} a month\n- You keep your plan\n\nWhich suits you better?"),
        .. BuiltInTemplates.Pair(TemplateIds.ScriptExpansionNeed,
            "{name}, sobre lo que necesitas: {need}",
            "Hola {name}:\n\nLa última vez me contaste que necesitas {need}, y creo que {feature}, de {plan}, te puede ayudar.\n\nTe enseño cómo funciona en tu caso.\n\nPuedo añadirlo a tu plan por {addOnPrice} más al mes, o puedes pasar a {plan}, que lo incluye y más, por {price} al mes.\n\n¿Qué prefieres?",
            "{name}, about what you need: {need}",
            "Hi {name},\n\nLast time you told me you need {need}, and I think {feature}, part of {plan}, can help.\n\nLet me show you how it works for you.\n\nI can add it to your plan for {addOnPrice} more a month, or you can move to {plan}, which includes it and more, for {price} a month.\n\nWhich would you prefer?"),
        .. BuiltInTemplates.Pair(TemplateIds.ScriptExpansionNewFeature,
            "{name}, nueva en {product}: {feature}",
            "Hola {name}:\n\nAcabamos de lanzar {feature} y creo que te sirve porque {reason}.\n\nTe enseño cómo funciona.\n\nForma parte de {plan}: puedo añadirla a tu plan por {addOnPrice} al mes, o puedes pasar al plan completo.\n\n¿Te apetece verla en una demo?",
            "{name}, new in {product}: {feature}",
            "Hi {name},\n\nWe have just launched {feature}, and I think it is useful for you because {reason}.\n\nLet me show you how it works.\n\nIt is part of {plan}: I can add it to your plan for {addOnPrice} a month, or you can move to the full plan.\n\nWould you like to see a demo?"),
        .. BuiltInTemplates.Pair(TemplateIds.ScriptReactivation,
            "{name}, ¿todo en orden?",
            "Hola {name}:\n\nHace {days} días que no usas {product} y quería comprobar que todo va bien.\n\nPuede que:\n- estés con mucho trabajo (pasa);\n- no sepas cómo hacer algo (te ayudo);\n- no le estés sacando valor (trabajémoslo juntos);\n- ya no lo necesites (sin problema, lo cancelamos).\n\nQuiero que {product} te aporte valor. Si puedo ayudarte en algo, aquí estoy.\n\n¿Tienes 5 minutos para una llamada?",
            "{name}, is everything all right?",
            "Hi {name},\n\nYou have not used {product} for {days} days, and I wanted to check that all is well.\n\nIt may be that:\n- you are busy (it happens);\n- you are not sure how to do something (I can help);\n- you are not getting value from it (let us work on it together);\n- you no longer need it (no problem, we can cancel).\n\nI want {product} to be worth it for you. If there is anything I can do, I am here.\n\nDo you have 5 minutes for a call?"),
        .. BuiltInTemplates.Pair(TemplateIds.ScriptSave,
            "{name}, antes de procesar tu baja",
            "Hola {name}:\n\nHas pedido cancelar tu suscripción. Antes de tramitarlo, quiero entender el motivo.\n\nPuede que:\n- no le estés sacando valor (trabajémoslo juntos);\n- te resulte caro (podemos ajustar el plan);\n- ya no lo necesites (sin problema);\n- hayas encontrado otra solución (me interesa saber por qué).\n\nNo quiero retenerte si no te funciona, pero sí que decidas con toda la información.\n\n¿Tienes 10 minutos para hablarlo?",
            "{name}, before we process your cancellation",
            "Hi {name},\n\nYou have asked to cancel your subscription. Before it goes through, I would like to understand why.\n\nIt may be that:\n- you are not getting value from it (let us work on it together);\n- it feels expensive (we can adjust the plan);\n- you no longer need it (no problem);\n- you found another solution (I would like to know why).\n\nI do not want to keep you if it does not work for you, but I do want you to decide with all the information.\n\nDo you have 10 minutes to talk?"),
        .. BuiltInTemplates.Pair(TemplateIds.ScriptUpsellResults,
            "{name}, ¡buen trabajo con {product}!",
            "Hola {name}:\n\n¡Enhorabuena! Estás consiguiendo {result}.\n\nAhora que ves resultados, imagina lograr {biggerResult} con {feature}, de {plan}.\n\nTe enseño cómo {feature} te puede llevar ahí.\n\nNo hace falta: con tu plan actual ya te va bien. Pero si quieres sacarle el máximo, esto puede ayudarte.\n\n¿Quieres ver cómo funciona?",
            "{name}, great work with {product}!",
            "Hi {name},\n\nWell done! You are achieving {result}.\n\nNow that you see results, imagine reaching {biggerResult} with {feature}, part of {plan}.\n\nLet me show you how {feature} could get you there.\n\nThere is no need: your current plan is working well. But if you want to make the most of it, this could help.\n\nWould you like to see how it works?"),
        .. BuiltInTemplates.Pair(TemplateIds.ScriptUpsellTeam,
            "{name}, {product} para tu equipo",
            "Hola {name}:\n\nMe contaste que tu equipo quiere usar {product}. ¡Estupendo!\n\nAhora tenéis {users} usuarios. Para sumar más, hay dos opciones:\n\nOpción 1: usuarios sueltos\n- {seatPrice} al mes por usuario adicional\n- Mantienes tu plan\n\nOpción 2: el plan Team\n- Hasta {teamUsers} usuarios\n- Además: {teamFeatures}\n- {teamPrice} al mes en total\n- Ahorras {saving} frente a usuarios sueltos\n\n¿Cuál os encaja mejor?",
            "{name}, {product} for your team",
            "Hi {name},\n\nYou told me your team would like to use {product}. Great!\n\nYou have {users} users today. To add more, there are two options:\n\nOption 1: individual users\n- {seatPrice} a month per extra user\n- You keep your plan\n\nOption 2: the Team plan\n- Up to {teamUsers} users\n- Also: {teamFeatures}\n- {teamPrice} a month in all\n- You save {saving} against individual users\n\nWhich suits you better?"),
    ];
}
